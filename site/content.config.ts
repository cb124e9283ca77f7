import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { getSimulation } from '../sim/index.ts';

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

const state = z.object({
  scenario: z.string(),
  set: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});

const labs = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/labs' }),
  schema: z.object({
    title: z.string(),
    sim: z.string(),
    minutes: z.number(),
    /** Who the lab suits, in one sentence. */
    audience: z.string(),
    /** What a participant should already be able to do, one short item each. */
    prerequisites: z.array(z.string()).min(1),
    exercises: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9-]+$/),
          title: z.string(),
          goal: z.string(),
          start: state,
          checks: z
            .array(
              z.object({
                of: z.enum(['param', 'summary']),
                key: z.string(),
                label: z.string(),
                is: z.enum(['==', '!=', '<', '<=', '>', '>=']),
                value: z.union([z.number(), z.string()]),
                /** How a summary figure reads (site/labs/figure-words.ts); a parameter reads as its control shows it. */
                reads: z.enum(['count', 'ms', 'percent', 'yes-no', 'id']).optional(),
                none: z.string().optional(),
                optionsOf: z.string().optional(),
              }),
            )
            .min(1),
          /** The parameters whose change is a genuine fix (or, in a "break it" exercise, a genuine break). */
          levers: z.array(z.string()).min(1),
          answer: state,
          failing: state,
          explain: z.string().optional(),
        }),
      )
      .min(3)
      .max(5),
  }).superRefine((lab, ctx) => {
    const params = getSimulation(lab.sim)?.params;
    if (!params) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sim'], message: `unknown simulation ${lab.sim}` });
      return;
    }
    lab.exercises.forEach((exercise, i) => {
      exercise.levers.forEach((lever, j) => {
        if (!Object.hasOwn(params, lever)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['exercises', i, 'levers', j], message: `${lever} is not a parameter of ${lab.sim}` });
        }
      });
    });
  }),
});

export const collections = { articles, labs };
