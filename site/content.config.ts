import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const source = z.object({
  id: z.string(),
  title: z.string(),
  author: z.string(),
  site: z.string().optional(),
  date: z.union([z.string(), z.number()]).transform(String),
  url: z.string().url().optional(),
  note: z.string().optional(),
});

const articles = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/articles' }),
  schema: z.object({
    title: z.string(),
    description: z.string(),
    sim: z.string(),
    order: z.number(),
    sources: z.array(source),
  }),
});

export const collections = { articles };
