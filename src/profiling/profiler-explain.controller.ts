import { Controller, Get, HttpStatus, Param, Query, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ProblemException } from '../common/problem-details';
import { PROFILER_TOKEN_HEADER, ProfilerAccessGuard } from './profiler-access.guard';
import { NoQueryParams } from './profiler.controller';
import { ProfileStore } from './profile-store';
import { MAX_RECORDED_QUERIES } from './request-profile';
import { StatementPlanner } from './statement-planner';

export class StatementPlanParams {
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/)
  id: string;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_RECORDED_QUERIES)
  index: number;
}

export class StatementPlan {
  @ApiProperty({ description: 'Index of the statement in the profile (`statements[].index`)' })
  statement: number;

  @ApiProperty({ description: 'The normalized statement' })
  sql: string;

  @ApiProperty({ description: 'Always true: the plan is the generic one, for any values, so no recorded value is used or shown' })
  generic: boolean;

  @ApiProperty({ description: "PostgreSQL's EXPLAIN (FORMAT JSON) document: { Plan: { 'Node Type', 'Total Cost', 'Plan Rows', Plans: [...] } }", type: 'object', additionalProperties: true })
  plan: Record<string, unknown>;
}

/**
 * EXPLAIN of a statement a profile recorded, on the planner's own read-only connection with a
 * statement timeout. Only the index travels in the request: the statement's text comes from the
 * stored profile (local, or shared through Redis by another replica), never from the client.
 */
@ApiTags('profiler')
@ApiHeader({ name: PROFILER_TOKEN_HEADER, required: true })
@UseGuards(ProfilerAccessGuard)
@Controller('v1/_profiler')
export class ProfilerExplainController {
  constructor(
    private readonly store: ProfileStore,
    private readonly planner: StatementPlanner,
  ) {}

  @Get('requests/:id/statements/:index/plan')
  @ApiOperation({ summary: "The generic EXPLAIN plan of one of a recorded request's statements (never ANALYZE: nothing is executed)" })
  @ApiOkResponse({ type: StatementPlan })
  async plan(@Param() params: StatementPlanParams, @Query() _query: NoQueryParams): Promise<StatementPlan> {
    const stored = await this.store.find(params.id);
    if (!stored) throw new ProblemException(HttpStatus.NOT_FOUND, { detail: `No recorded profile with id ${params.id}` });
    const statement = stored.view.statements[params.index];
    const text = stored.statementTexts[params.index];
    if (!statement || text === undefined) {
      throw new ProblemException(HttpStatus.NOT_FOUND, { detail: `Request ${params.id} has no statement ${params.index} (it has ${stored.view.statements.length})` });
    }
    if (!statement.explainable) {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, { detail: `Statement ${params.index} cannot be explained: ${statement.sql.slice(0, 80)}` });
    }
    try {
      const plan = (await this.planner.plan(text, 'json')) as Record<string, unknown>;
      return { statement: statement.index, sql: statement.sql, generic: true, plan };
    } catch (error) {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, {
        detail: `PostgreSQL could not plan statement ${params.index}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}
