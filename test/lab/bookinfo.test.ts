// The Bookinfo app models answer as the sample's images do.
import { describe, expect, it } from 'vitest';
import { bookinfoApp } from '../../src/apps/bookinfo';
import type { AppCallResult, AppContext, AppRequest } from '../../src/apps/types';

const host = { podName: 'reviews-v2-abc-12345', namespace: 'default', podIp: '10.0.0.1', labels: {} };
const req = (path: string): AppRequest => ({ method: 'GET', path, headers: { 'x-request-id': 'r1' }, authority: 'x:9080', port: 9080, sourceIp: '10.0.0.2' });

function ctx(answers: Record<string, AppCallResult>, calls: string[] = []): AppContext {
  return {
    call: (url, init) => {
      calls.push(`${url} ${JSON.stringify(init?.headers ?? {})}`);
      return answers[url] ?? { body: '', headers: {} };
    },
  };
}

describe('bookinfo', () => {
  it('is chosen by image and listens on 9080', () => {
    expect(bookinfoApp('istio/examples-bookinfo-details-v1', [], host)?.model).toBe('bookinfo-details-v1');
    expect(bookinfoApp('istio/examples-bookinfo-reviews-v3', [9080], host)?.listens(9080)).toBe(true);
    expect(bookinfoApp('istio/examples-helloworld-v1', [], host)).toBeUndefined();
  });
  it('details and ratings answer JSON', () => {
    expect(JSON.parse(bookinfoApp('istio/examples-bookinfo-details-v1', [], host)!.handle(req('/details/0'), ctx({})).body)).toMatchObject({ id: 0, author: 'William Shakespeare', 'ISBN-10': '1234567890' });
    expect(bookinfoApp('istio/examples-bookinfo-ratings-v1', [], host)!.handle(req('/ratings/0'), ctx({})).body).toBe('{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
  });
  it('reviews v1 never calls ratings; v2 shows black stars; v3 red; unavailable ratings say so', () => {
    const calls: string[] = [];
    const v1 = JSON.parse(bookinfoApp('istio/examples-bookinfo-reviews-v1', [], host)!.handle(req('/reviews/0'), ctx({}, calls)).body);
    expect(calls).toEqual([]);
    expect(v1.reviews[0].rating).toBeUndefined();
    const ratings = { 'http://ratings:9080/ratings/0': { status: 200, body: '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}', headers: {} } };
    const v2 = JSON.parse(bookinfoApp('istio/examples-bookinfo-reviews-v2', [], host)!.handle(req('/reviews/0'), ctx(ratings, calls)).body);
    expect(v2).toMatchObject({ podname: 'reviews-v2-abc-12345', reviews: [{ rating: { stars: 5, color: 'black' } }, { rating: { stars: 4, color: 'black' } }] });
    expect(calls).toEqual(['http://ratings:9080/ratings/0 {"x-request-id":"r1"}']);
    const v3 = JSON.parse(bookinfoApp('istio/examples-bookinfo-reviews-v3', [], host)!.handle(req('/reviews/0'), ctx(ratings)).body);
    expect(v3.reviews[0].rating.color).toBe('red');
    const down = JSON.parse(bookinfoApp('istio/examples-bookinfo-reviews-v2', [], host)!.handle(req('/reviews/0'), ctx({})).body);
    expect(down.reviews[0].rating).toEqual({ error: 'Ratings service is currently unavailable' });
  });
  it('productpage renders the title, details and the reviews pod', () => {
    const calls: string[] = [];
    const answers = {
      'http://details:9080/details/0': { status: 200, body: '{"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}', headers: {} },
      'http://reviews:9080/reviews/0': { status: 200, body: '{"podname":"reviews-v1-x-y","reviews":[{"reviewer":"Reviewer1","text":"t"}]}', headers: {} },
    };
    const res = bookinfoApp('istio/examples-bookinfo-productpage-v1', [], host)!.handle(req('/productpage'), ctx(answers, calls));
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<title>Simple Bookstore App<\/title>/);
    expect(res.body).toContain('<u>reviews-v1-x-y</u>');
    expect(res.body).toContain('<dt>Publisher:</dt>PublisherA');
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['http://details:9080/details/0', 'http://reviews:9080/reviews/0']);
    const broken = bookinfoApp('istio/examples-bookinfo-productpage-v1', [], host)!.handle(req('/productpage'), ctx({}));
    expect(broken.body).toContain('Error fetching product reviews!');
  });
});
