import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { QueryBudget } from '../common/query-budget.decorator';
import { CachedReferenceResponse } from './cached-reference-response.decorator';
import { CityListDto } from './dto/city.dto';
import { CitySlugParams } from './dto/city-slug.params';
import { HolidayListDto } from './dto/holiday.dto';
import { HolidaysQuery } from './dto/holidays.query';
import { NoParametersQuery } from './dto/no-parameters.query';
import { ReferenceItemListDto } from './dto/reference-item.dto';
import { ReferenceService } from './reference.service';

/** Public reference data (SPEC §5): the vocabularies discovery filters and bookings accept. */
@ApiTags('reference')
@Controller('v1')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('cities')
  @ApiOperation({ summary: 'All cities, ordered by name' })
  @CachedReferenceResponse(CityListDto)
  @ApiProblemResponse(400, 'Unknown query parameter')
  @QueryBudget(1)
  listCities(@Query() _query: NoParametersQuery): Promise<CityListDto> {
    return this.reference.listCities();
  }

  @Get('categories')
  @ApiOperation({ summary: 'All venue categories, ordered by name' })
  @CachedReferenceResponse(ReferenceItemListDto)
  @ApiProblemResponse(400, 'Unknown query parameter')
  @QueryBudget(1)
  listCategories(@Query() _query: NoParametersQuery): Promise<ReferenceItemListDto> {
    return this.reference.listCategories();
  }

  @Get('add-ons')
  @ApiOperation({ summary: 'All add-ons venues may offer, ordered by name' })
  @CachedReferenceResponse(ReferenceItemListDto)
  @ApiProblemResponse(400, 'Unknown query parameter')
  @QueryBudget(1)
  listAddOns(@Query() _query: NoParametersQuery): Promise<ReferenceItemListDto> {
    return this.reference.listAddOns();
  }

  @Get('cities/:slug/holidays')
  @ApiOperation({
    summary: 'Public holidays of a city between two dates, inclusive, ordered by date',
    description: 'Country-wide holidays of the city\'s country and holidays of the city alone; venues are closed on both.',
  })
  @CachedReferenceResponse(HolidayListDto)
  @ApiProblemResponse(400, 'Invalid date, to before from, range over 366 days, malformed slug or unknown parameter')
  @ApiProblemResponse(404, 'No city has that slug')
  @QueryBudget(1)
  listCityHolidays(@Param() { slug }: CitySlugParams, @Query() query: HolidaysQuery): Promise<HolidayListDto> {
    return this.reference.listCityHolidays(slug, query);
  }
}
