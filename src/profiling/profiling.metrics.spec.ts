import { ProfilingMetrics } from './profiling.metrics';
import { RequestProfile } from './request-profile';

const OPTIONS = { captureParams: false, slowQueryMs: 100, idleSessionMs: 5 };

function closedProfile(route: string, method: string, status: number, handlerMs: number): RequestProfile {
  const profile = new RequestProfile('request', method, route, OPTIONS);
  profile.handlerStartMs = 1;
  profile.handlerEndMs = 1 + handlerMs;
  profile.totalMs = 2 + handlerMs;
  profile.markHeadersSent(profile.totalMs);
  profile.route = route;
  profile.status = status;
  return profile;
}

/** `name{labels} value` lines of one metric family, labels in exposition order. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('ProfilingMetrics', () => {
  // The series of the last route and (method, status) are kept between requests: a request that
  // changes either must still land in its own series.
  it('counts each request in the series of its own route, method, status and stages, in any order', async () => {
    const metrics = new ProfilingMetrics();
    const requests = [
      closedProfile('/v1/a', 'GET', 200, 1),
      closedProfile('/v1/a', 'GET', 200, 1),
      closedProfile('/v1/a', 'GET', 404, 1),
      closedProfile('/v1/b', 'POST', 201, 1),
      closedProfile('/v1/a', 'POST', 200, 1),
      closedProfile('/v1/a', 'GET', 200, 1),
      closedProfile('/v1/b', 'POST', 201, 1),
    ];
    for (const profile of requests) metrics.observe(profile);

    const text = await metrics.render();
    expect(samples(text, 'http_request_duration_seconds_count').sort()).toEqual(
      [
        'http_request_duration_seconds_count{method="GET",route="/v1/a",status_code="200"} 3',
        'http_request_duration_seconds_count{method="GET",route="/v1/a",status_code="404"} 1',
        'http_request_duration_seconds_count{method="POST",route="/v1/a",status_code="200"} 1',
        'http_request_duration_seconds_count{method="POST",route="/v1/b",status_code="201"} 2',
      ].sort(),
    );
    expect(samples(text, 'http_request_stage_duration_seconds_count').sort()).toEqual(
      [
        'http_request_stage_duration_seconds_count{route="/v1/a",stage="auth"} 5',
        'http_request_stage_duration_seconds_count{route="/v1/a",stage="handler"} 5',
        'http_request_stage_duration_seconds_count{route="/v1/a",stage="serialization"} 5',
        'http_request_stage_duration_seconds_count{route="/v1/b",stage="auth"} 2',
        'http_request_stage_duration_seconds_count{route="/v1/b",stage="handler"} 2',
        'http_request_stage_duration_seconds_count{route="/v1/b",stage="serialization"} 2',
      ].sort(),
    );
  });

  it('counts every request exactly across its batches, at any scrape', async () => {
    const metrics = new ProfilingMetrics();
    const observed = (text: string) => samples(text, 'http_request_duration_seconds_count');
    for (let index = 0; index < 63; index += 1) metrics.observe(closedProfile('/v1/a', 'GET', 200, 1));
    expect(observed(await metrics.render())).toEqual(['http_request_duration_seconds_count{method="GET",route="/v1/a",status_code="200"} 63']);
    for (let index = 0; index < 140; index += 1) metrics.observe(closedProfile('/v1/a', 'GET', 200, 1));
    expect(observed(await metrics.render())).toEqual(['http_request_duration_seconds_count{method="GET",route="/v1/a",status_code="200"} 203']);
    expect(observed(await metrics.render())).toEqual(['http_request_duration_seconds_count{method="GET",route="/v1/a",status_code="200"} 203']);
  });

  it('observes a request as its headers showed it, whatever it does after they went out', async () => {
    const metrics = new ProfilingMetrics();
    const profile = closedProfile('/v1/a', 'GET', 200, 1);
    metrics.observe(profile);
    // After the headers (at 3 ms): a checkout asked for before them and granted after, a statement, an explicit stage.
    profile.recordCheckout(2.5, 4, true, 'primary');
    profile.statementCount = 1;
    profile.recordStage('late', 3.5, 4.5);

    const text = await metrics.render();
    expect(samples(text, 'http_request_stage_duration_seconds_count').map((line) => line.split('stage="')[1])).toEqual(['auth"} 1', 'handler"} 1', 'serialization"} 1']);
    expect(samples(text, 'db_queries_per_request_count')).toEqual(['db_queries_per_request_count{route="/v1/a"} 1']);
    expect(samples(text, 'db_queries_per_request_sum')).toEqual(['db_queries_per_request_sum{route="/v1/a"} 0']);
    expect(samples(text, 'db_sessions_per_request_sum')).toEqual(['db_sessions_per_request_sum{route="/v1/a"} 0']);
  });
});
