import { Controller, Get, HttpStatus, Param, Query, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ProblemException } from '../common/problem-details';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { PROFILER_TOKEN_HEADER, ProfilerAccessGuard } from './profiler-access.guard';
import { ProfileListQuery } from './profile-list.query';
import { ProfileStore } from './profile-store';
import { ProfileView } from './profile-view';
import { ProfileDto, ProfileListDto, RouteSummaryListDto } from './profiler-responses.dto';
import { RouteSummary, summarizeRoutes } from './route-summary';

export class ProfileIdParams {
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/)
  id: string;
}

export class NoQueryParams {}

/** Recorded profiles as JSON, newest first. */
@ApiTags('profiler')
@ApiHeader({ name: PROFILER_TOKEN_HEADER, required: true })
@ApiProblemResponse(401, 'No valid profiler token (X-Profiler-Token) or admin access token')
@UseGuards(ProfilerAccessGuard)
@Controller('v1/_profiler')
export class ProfilerController {
  constructor(private readonly store: ProfileStore) {}

  @Get('requests')
  @ApiOperation({
    summary: 'Recent request profiles (summaries), filtered',
    description:
      "This instance's recent profiles and, with REDIS_URL, the profiles every instance shared (those with a problem, slow ones, " +
      'captured ones and the sampled ones), each once, newest first. With `route`, also the slowest shared requests of that route.',
  })
  @ApiOkResponse({ type: ProfileListDto })
  @ApiProblemResponse(400, 'A filter with a value it does not take, or an unknown parameter')
  async list(@Query() query: ProfileListQuery): Promise<ProfileListDto> {
    return { data: await this.store.list(query) };
  }

  @Get('requests/:id')
  @ApiOperation({
    summary: 'One request profile: stages, statements, sessions, N+1 findings, budget',
    description: "From this instance's memory, else, with REDIS_URL, from the profiles every instance shared.",
  })
  @ApiOkResponse({ type: ProfileDto })
  @ApiProblemResponse(400, 'Malformed id, or an unknown parameter')
  @ApiProblemResponse(404, 'No recorded profile has this id (here, or shared)')
  async get(@Param() params: ProfileIdParams, @Query() _query: NoQueryParams): Promise<ProfileView> {
    const profile = await this.store.find(params.id);
    if (!profile) throw new ProblemException(HttpStatus.NOT_FOUND, { detail: `No recorded profile with id ${params.id}` });
    return profile.view;
  }

  @Get('routes')
  @ApiOperation({
    summary: 'Per-route summary: requests, p50/p95 total time and statements, top statements by summed time',
    description: "Over the profiles this instance holds in memory (its last PROFILER_HISTORY_SIZE requests), not the shared ones: each instance summarizes its own traffic.",
  })
  @ApiOkResponse({ type: RouteSummaryListDto })
  @ApiProblemResponse(400, 'An unknown parameter')
  routes(@Query() _query: NoQueryParams): { data: RouteSummary[] } {
    return { data: summarizeRoutes(this.store.recent()) };
  }
}
