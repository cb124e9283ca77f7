/**
 * /embed/<sim-id>/oembed.json: an oEmbed "rich" response, so tools that speak
 * oEmbed can embed a simulation. oEmbed wants absolute URLs; set the site's
 * address with OPSLAB_SITE at build time, otherwise the URLs are root-relative.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { simulations } from '../../../../sim/index.ts';

export const getStaticPaths: GetStaticPaths = () => Object.keys(simulations).map((id) => ({ params: { id } }));

export const GET: APIRoute = ({ params, site }) => {
  const sim = simulations[params.id!]!;
  const path = `${import.meta.env.BASE_URL}embed/${sim.id}/`;
  const src = site ? new URL(path, site).href : path;
  const title = `Opslab: ${sim.title}`;
  const body = {
    version: '1.0',
    type: 'rich',
    title,
    provider_name: 'Opslab',
    provider_url: site ? new URL(import.meta.env.BASE_URL, site).href : import.meta.env.BASE_URL,
    width: 960,
    height: 540,
    html: `<iframe src="${src}" width="960" height="540" title="${title}" style="border:0" loading="lazy"></iframe>`,
  };
  return new Response(JSON.stringify(body, null, 2), { headers: { 'content-type': 'application/json' } });
};
