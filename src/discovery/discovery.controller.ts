import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { QueryBudget } from '../common/query-budget.decorator';
import { DiscoveryHttpCache } from './discovery-http-cache';
import { DiscoveryResult, DiscoveryService } from './discovery.service';
import { DiscoveryQuery } from './dto/discovery.query';

@ApiTags('discovery')
@Controller('v1/discovery')
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Get('venues')
  @ApiOperation({
    summary: 'Search venues: filters, sort, pagination, availability on a date',
    description:
      'Public and cached (X-Cache, Cache-Control, ETag / If-None-Match). A cache miss runs at most 4 SQL statements ' +
      '(2 on a holiday), a hit none; one database session at most.',
  })
  @DiscoveryHttpCache()
  @ApiProblemResponse(400, 'A parameter is invalid, unknown or names an unknown slug; each is named in errors[]')
  @QueryBudget(4)
  search(@Query() query: DiscoveryQuery): Promise<DiscoveryResult> {
    return this.discovery.search(query);
  }
}
