import { ProfilingMetrics } from './profiling.metrics';
import { RequestProfile, StageList } from './request-profile';

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
    for (const profile of requests) metrics.observe(profile, new StageList().of(profile));

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
});
