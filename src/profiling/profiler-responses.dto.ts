import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOP_STATEMENTS_PER_ROUTE } from './route-summary';

// OpenAPI schemas of the profiler's JSON (profile-view.ts, route-summary.ts). Times are
// milliseconds, relative to the request's start unless said otherwise.

const MS = { type: 'number', minimum: 0 } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;

export class ProfileCallSiteDto {
  @ApiProperty({ description: 'Source file under src/ (TypeScript, through source maps)', example: 'src/venues/venues.service.ts' })
  file: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 42 })
  line: number;

  @ApiProperty({ example: 'VenuesService.findDetail' })
  function: string;
}

export class ProfileStatementOriginDto {
  @ApiProperty({ type: ProfileCallSiteDto, description: 'The first frame in src/ outside the profiler' })
  at: ProfileCallSiteDto;

  @ApiProperty({ type: ProfileCallSiteDto, nullable: true, description: 'The frame that called it' })
  caller: ProfileCallSiteDto | null;
}

export class ProfileStageDto {
  @ApiProperty({ example: 'handler' })
  name: string;

  @ApiProperty(MS)
  startMs: number;

  @ApiProperty(MS)
  durationMs: number;
}

export class ProfileStatementDto {
  @ApiProperty(COUNT)
  index: number;

  @ApiProperty({ description: 'Normalized text (no values)' })
  sql: string;

  @ApiProperty({ ...COUNT, description: 'Runs in the request' })
  count: number;

  @ApiProperty(MS)
  totalMs: number;

  @ApiProperty({ description: 'EXPLAIN can plan it (not BEGIN, SET, SHOW…)' })
  explainable: boolean;
}

export class ProfileQueryDto {
  @ApiProperty({ ...COUNT, description: "Index in the profile's statements" })
  statement: number;

  @ApiProperty()
  sql: string;

  @ApiProperty(MS)
  startMs: number;

  @ApiProperty(MS)
  durationMs: number;

  @ApiProperty({ ...COUNT, nullable: true })
  rows: number | null;

  @ApiProperty()
  stage: string;

  @ApiProperty()
  transactionControl: boolean;

  @ApiProperty({ ...COUNT, nullable: true, description: 'The database session (checkout) it ran on' })
  session: number | null;

  @ApiProperty({ type: ProfileStatementOriginDto, nullable: true, description: 'Captured for the first runs of a statement shape and for slow statements' })
  callSite: ProfileStatementOriginDto | null;

  @ApiPropertyOptional({ description: 'The reason given to allowRepeated() around it' })
  allowedRepeat?: string;

  @ApiPropertyOptional()
  error?: string;

  @ApiPropertyOptional({ type: 'array', items: {}, description: 'Bind values, only with PROFILER_CAPTURE_PARAMS=true' })
  params?: unknown[];
}

export class ProfileCheckoutDto {
  @ApiProperty(COUNT)
  session: number;

  @ApiProperty({ description: '`primary`, or `replica N`', example: 'primary' })
  server: string;

  @ApiProperty({ description: 'Waited for a free connection' })
  queued: boolean;

  @ApiProperty(MS)
  requestedMs: number;

  @ApiProperty(MS)
  waitMs: number;

  @ApiProperty(MS)
  acquiredMs: number;

  @ApiProperty({ ...MS, nullable: true, description: 'Null while still held when the profile was read' })
  releasedMs: number | null;

  @ApiProperty(MS)
  heldMs: number;

  @ApiProperty(MS)
  inStatementsMs: number;

  @ApiProperty({ ...MS, description: 'Held but running no statement' })
  idleMs: number;

  @ApiProperty({ description: 'idleMs reached PROFILER_IDLE_SESSION_MS' })
  idleFlagged: boolean;
}

export class ProfileRelationDto {
  @ApiProperty({ example: 'Venue' })
  entity: string;

  @ApiProperty({ example: 'photos' })
  property: string;

  @ApiProperty({ example: 'VenuePhoto' })
  target: string;
}

export class ProfileFindingDto {
  @ApiProperty({ enum: ['n+1', 'duplicate'], description: 'n+1: the same statement with other values (batch it); duplicate: with the same values (reuse the result)' })
  kind: 'n+1' | 'duplicate';

  @ApiProperty(COUNT)
  statement: number;

  @ApiProperty()
  sql: string;

  @ApiProperty({ type: ProfileStatementOriginDto, nullable: true })
  callSite: ProfileStatementOriginDto | null;

  @ApiProperty(COUNT)
  count: number;

  @ApiProperty(COUNT)
  distinctValues: number;

  @ApiProperty({ description: 'Some runs overlapped (a Promise.all fan-out)' })
  parallel: boolean;

  @ApiProperty({ type: ProfileRelationDto, nullable: true, description: 'The TypeORM relation the statement loads' })
  relation: ProfileRelationDto | null;

  @ApiProperty()
  fix: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'The reason given to allowRepeated(): intended, not a problem' })
  allowed: string | null;

  @ApiProperty({ type: 'integer', isArray: true, description: "Indexes in the profile's queries" })
  queries: number[];
}

export class ProfileBudgetDto {
  @ApiProperty(COUNT)
  limit: number;

  @ApiProperty({ type: 'string', nullable: true })
  reason: string | null;

  @ApiProperty(COUNT)
  used: number;

  @ApiProperty()
  exceeded: boolean;
}

export class ProfileProblemsDto {
  @ApiProperty(COUNT)
  nPlusOne: number;

  @ApiProperty(COUNT)
  duplicates: number;

  @ApiProperty()
  budgetExceeded: boolean;

  @ApiProperty(COUNT)
  idleSessions: number;

  @ApiProperty()
  serverError: boolean;
}

export class ProfileSummaryDto {
  @ApiProperty({ description: 'The request id (X-Request-Id)' })
  id: string;

  @ApiProperty({ example: 'GET' })
  method: string;

  @ApiProperty({ description: "Express's matched route template, or `unmatched`", example: '/v1/venues/:idOrSlug' })
  route: string;

  @ApiProperty({ example: '/v1/venues/sky-terrace' })
  path: string;

  @ApiProperty({ type: 'integer', minimum: 100, maximum: 599 })
  status: number;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty(MS)
  totalMs: number;

  @ApiProperty({ ...COUNT, description: 'Budgeted statements (transaction control apart)' })
  statementCount: number;

  @ApiProperty(COUNT)
  transactionControlCount: number;

  @ApiProperty(COUNT)
  sessions: number;

  @ApiProperty(MS)
  dbMs: number;

  @ApiProperty(MS)
  poolWaitMs: number;

  @ApiProperty({ type: 'string', enum: ['hit', 'miss'], nullable: true })
  cache: 'hit' | 'miss' | null;

  @ApiProperty({ type: ProfileBudgetDto, nullable: true, description: '@QueryBudget of the handler, if any' })
  budget: ProfileBudgetDto | null;

  @ApiProperty({ type: ProfileProblemsDto })
  problems: ProfileProblemsDto;

  @ApiProperty({ ...COUNT, description: 'Statements past the recorded maximum (counted, not listed)' })
  droppedQueries: number;
}

export class ProfileDto extends ProfileSummaryDto {
  @ApiProperty({ type: [ProfileStageDto] })
  stages: ProfileStageDto[];

  @ApiProperty({ type: [ProfileStatementDto], description: 'Each distinct statement, in order of first run' })
  statements: ProfileStatementDto[];

  @ApiProperty({ type: [ProfileQueryDto], description: 'Each run' })
  queries: ProfileQueryDto[];

  @ApiProperty({ type: [ProfileCheckoutDto], description: 'Each database session checked out' })
  checkouts: ProfileCheckoutDto[];

  @ApiProperty({ type: [ProfileFindingDto], description: 'Repeated statements: N+1 and duplicates' })
  findings: ProfileFindingDto[];
}

export class ProfileListDto {
  @ApiProperty({ type: [ProfileSummaryDto], description: 'Newest first' })
  data: ProfileSummaryDto[];
}

export class PercentilesDto {
  @ApiProperty({ type: 'number', minimum: 0 })
  p50: number;

  @ApiProperty({ type: 'number', minimum: 0 })
  p95: number;
}

export class TopStatementDto {
  @ApiProperty({ description: 'Normalized text (no values)' })
  sql: string;

  @ApiProperty({ ...COUNT, description: "Runs over all of the route's requests" })
  count: number;

  @ApiProperty({ ...MS, description: "Summed over all of the route's requests" })
  totalMs: number;
}

export class RouteSummaryDto {
  @ApiProperty({ example: 'GET' })
  method: string;

  @ApiProperty({ example: '/v1/discovery/venues' })
  route: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  requests: number;

  @ApiProperty({ type: PercentilesDto, description: 'Total time per request, ms (nearest rank)' })
  totalMs: PercentilesDto;

  @ApiProperty({ type: PercentilesDto, description: 'Budgeted statements per request (nearest rank)' })
  statements: PercentilesDto;

  @ApiProperty({ type: [TopStatementDto], description: `The statements with the most summed time, at most ${TOP_STATEMENTS_PER_ROUTE}` })
  topStatements: TopStatementDto[];
}

export class RouteSummaryListDto {
  @ApiProperty({ type: [RouteSummaryDto], description: 'Busiest routes first' })
  data: RouteSummaryDto[];
}
