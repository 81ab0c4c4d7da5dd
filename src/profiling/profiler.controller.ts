import { Controller, Get, HttpStatus, Param, Query, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ProblemException } from '../common/problem-details';
import { PROFILER_TOKEN_HEADER, ProfilerAccessGuard } from './profiler-access.guard';
import { ProfileStore } from './profile-store';
import { ProfileView, toProfileSummary } from './profile-view';

export class ProfileIdParams {
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/)
  id: string;
}

export class NoQueryParams {}

/** Recorded profiles as JSON, newest first. */
@ApiTags('profiler')
@ApiHeader({ name: PROFILER_TOKEN_HEADER, required: true })
@UseGuards(ProfilerAccessGuard)
@Controller('v1/_profiler')
export class ProfilerController {
  constructor(private readonly store: ProfileStore) {}

  @Get('requests')
  @ApiOperation({ summary: 'Recent request profiles (summaries)' })
  @ApiOkResponse({ description: 'Newest first' })
  list(@Query() _query: NoQueryParams) {
    return { data: this.store.recent().map(toProfileSummary) };
  }

  @Get('requests/:id')
  @ApiOperation({ summary: 'One request profile: stages, statements, sessions, N+1 findings, budget' })
  @ApiOkResponse({ description: 'The full profile' })
  get(@Param() params: ProfileIdParams, @Query() _query: NoQueryParams): ProfileView {
    const profile = this.store.find(params.id);
    if (!profile) throw new ProblemException(HttpStatus.NOT_FOUND, { detail: `No recorded profile with id ${params.id}` });
    return profile.view;
  }
}
