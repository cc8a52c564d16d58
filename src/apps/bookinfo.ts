// Istio's Bookinfo sample (images istio/examples-bookinfo-{productpage,details,reviews,ratings}-v*):
// productpage renders a page from details and reviews; reviews v2/v3 call ratings for stars
// (black for v2, red for v3). Calls go through the mesh from the app's own pod, with the tracing
// and user headers productpage propagates.
import type { App, AppContext, AppHost, AppRequest, AppResponse } from './types';

const JSON_HEADERS = { 'content-type': 'application/json' };
const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8' };
const PROPAGATED = ['x-request-id', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'traceparent', 'tracestate', 'end-user', 'user-agent', 'cookie'];

const REVIEWS = [
  { reviewer: 'Reviewer1', text: 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!', stars: 5 },
  { reviewer: 'Reviewer2', text: 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.', stars: 4 },
];

function json(status: number, value: unknown): AppResponse {
  return { status, body: JSON.stringify(value), headers: JSON_HEADERS };
}

function pathOf(req: AppRequest): string {
  return req.path.split('?')[0]!;
}

function propagated(req: AppRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of PROPAGATED) if (req.headers[h] !== undefined) out[h] = req.headers[h]!;
  return out;
}

function idFrom(path: string, prefix: string): number | undefined {
  const m = new RegExp(`^/${prefix}/(\\d+)$`).exec(path);
  return m ? Number(m[1]) : undefined;
}

function details(): App['handle'] {
  return (req) => {
    const path = pathOf(req);
    if (path === '/health') return json(200, { status: 'Details is healthy' });
    const id = idFrom(path, 'details');
    if (id === undefined) return json(400, { error: 'please provide numeric product id' });
    return json(200, { id, author: 'William Shakespeare', year: 1595, type: 'paperback', pages: 200, publisher: 'PublisherA', language: 'English', 'ISBN-10': '1234567890', 'ISBN-13': '123-1234567890' });
  };
}

function ratings(): App['handle'] {
  return (req) => {
    const path = pathOf(req);
    if (path === '/health') return json(200, { status: 'Ratings is healthy' });
    const id = idFrom(path, 'ratings');
    if (id === undefined) return json(400, { error: 'please provide numeric product ID' });
    return json(200, { id, ratings: { Reviewer1: 5, Reviewer2: 4 } });
  };
}

function reviews(version: string, host: AppHost): App['handle'] {
  const color = version === 'v3' ? 'red' : 'black';
  return (req, ctx) => {
    const path = pathOf(req);
    if (path === '/health') return json(200, { status: 'Reviews is healthy' });
    const id = idFrom(path, 'reviews');
    if (id === undefined) return json(400, { error: 'please provide numeric product ID' });
    let stars: Record<string, number> | undefined;
    if (version !== 'v1') {
      const r = ctx.call(`http://ratings:9080/ratings/${id}`, { headers: propagated(req) });
      if (r.status === 200) stars = (JSON.parse(r.body) as { ratings?: Record<string, number> }).ratings;
    }
    const body = {
      id: String(id),
      podname: host.podName,
      clustername: 'null',
      reviews: REVIEWS.map((r) => ({
        reviewer: r.reviewer,
        text: r.text,
        ...(version === 'v1' ? {} : { rating: stars ? { stars: stars[r.reviewer] ?? r.stars, color } : { error: 'Ratings service is currently unavailable' } }),
      })),
    };
    return json(200, body);
  };
}

interface ReviewsBody {
  podname?: string;
  reviews?: { reviewer: string; text: string; rating?: { stars?: number; color?: string; error?: string } }[];
}

function productpageHtml(detailsBody: Record<string, unknown> | undefined, reviewsBody: ReviewsBody | undefined): string {
  const detailsHtml = detailsBody
    ? `<h4 class="text-center text-primary">Book Details</h4>
<dl>
<dt>Type:</dt>${detailsBody.type}
<dt>Pages:</dt>${detailsBody.pages}
<dt>Publisher:</dt>${detailsBody.publisher}
<dt>Language:</dt>${detailsBody.language}
<dt>ISBN-10:</dt>${detailsBody['ISBN-10']}
<dt>ISBN-13:</dt>${detailsBody['ISBN-13']}
</dl>`
    : `<h4 class="text-center text-primary">Error fetching product details!</h4>
<p>Sorry, product details are currently unavailable for this book.</p>`;
  const reviewsHtml = reviewsBody?.reviews
    ? `<h4 class="text-center text-primary">Book Reviews</h4>
${reviewsBody.reviews
  .map(
    (r) => `<blockquote>
<p>${r.text}</p>
<small>${r.reviewer}</small>
${r.rating?.stars ? `<font color="${r.rating.color}">${'<span class="glyphicon glyphicon-star"></span>'.repeat(r.rating.stars)}</font>` : r.rating?.error ? `<p><i>${r.rating.error}</i></p>` : ''}
</blockquote>`,
  )
  .join('\n')}
<dl>
<dt>Reviews served by:</dt>
<u>${reviewsBody.podname}</u>
</dl>`
    : `<h4 class="text-center text-primary">Error fetching product reviews!</h4>
<p>Sorry, product reviews are currently unavailable for this book.</p>`;
  return `<!DOCTYPE html>
<html>
  <head>
    <title>Simple Bookstore App</title>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
  </head>
  <body>
<nav class="navbar navbar-inverse navbar-static-top">
  <div class="container">
    <div class="navbar-header">
      <a class="navbar-brand" href="#">BookInfo Sample</a>
    </div>
  </div>
</nav>
<div class="container-fluid">
  <div class="row">
    <div class="col-md-12">
      <h3 class="text-center text-primary">The Comedy of Errors</h3>
      <p>Summary: <a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare's</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.</p>
    </div>
  </div>
  <div class="row">
    <div class="col-md-6">
${detailsHtml}
    </div>
    <div class="col-md-6">
${reviewsHtml}
    </div>
  </div>
</div>
  </body>
</html>
`;
}

function parseJson<T>(status: number | undefined, body: string): T | undefined {
  if (status !== 200) return undefined;
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

function productpage(): App['handle'] {
  return (req, ctx: AppContext) => {
    const path = pathOf(req);
    if (path === '/health') return { status: 200, body: 'Product page is healthy', headers: { 'content-type': 'text/plain' } };
    if (path === '/api/v1/products') return json(200, [{ id: 0, title: 'The Comedy of Errors', descriptionHtml: '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays.' }]);
    if (path === '/' || path === '/index.html') {
      return { status: 200, body: '<!DOCTYPE html>\n<html>\n  <head>\n    <title>Simple Bookstore App</title>\n  </head>\n  <body>\n    <p><a href="/productpage?u=normal">Normal user</a></p>\n    <p><a href="/productpage?u=test">Test user</a></p>\n  </body>\n</html>\n', headers: HTML_HEADERS };
    }
    if (path !== '/productpage') return { status: 404, body: '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n', headers: HTML_HEADERS };
    const headers = propagated(req);
    const d = ctx.call('http://details:9080/details/0', { headers });
    const r = ctx.call('http://reviews:9080/reviews/0', { headers });
    return { status: 200, body: productpageHtml(parseJson(d.status, d.body), parseJson(r.status, r.body)), headers: HTML_HEADERS };
  };
}

const IMAGE = /(?:^|\/)examples-bookinfo-(productpage|details|reviews|ratings)-(v\d+)(?:-[\w-]+)?$/;

/** The Bookinfo app for an image name (registry and tag already stripped), or undefined. */
export function bookinfoApp(image: string, ports: number[], host: AppHost): App | undefined {
  const m = IMAGE.exec(image);
  if (!m) return undefined;
  const [, service, version] = m as unknown as [string, string, string];
  const listening = new Set(ports.length ? ports : [9080]);
  const handle = service === 'productpage' ? productpage() : service === 'details' ? details() : service === 'ratings' ? ratings() : reviews(version, host);
  return { model: `bookinfo-${service}-${version}`, listens: (p) => listening.has(p), handle };
}
