import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem-details';
import { CityListDto } from './dto/city.dto';
import { HolidayListDto } from './dto/holiday.dto';
import { HolidaysQuery } from './dto/holidays.query';
import { ReferenceItemListDto } from './dto/reference-item.dto';
import { ReferenceRepository } from './reference.repository';

@Injectable()
export class ReferenceService {
  constructor(private readonly repository: ReferenceRepository) {}

  async listCities(): Promise<CityListDto> {
    return { data: await this.repository.listCities() };
  }

  async listCategories(): Promise<ReferenceItemListDto> {
    return { data: await this.repository.listCategories() };
  }

  async listAddOns(): Promise<ReferenceItemListDto> {
    return { data: await this.repository.listAddOns() };
  }

  async listCityHolidays(citySlug: string, { from, to }: HolidaysQuery): Promise<HolidayListDto> {
    const holidays = await this.repository.findCityHolidays(citySlug, from, to);
    if (!holidays) throw new ProblemException(HttpStatus.NOT_FOUND, { detail: `No city has the slug '${citySlug}'` });
    return { data: holidays };
  }
}
