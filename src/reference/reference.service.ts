import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem-details';
import { CityListDto } from './dto/city.dto';
import { HolidayListDto } from './dto/holiday.dto';
import { HolidaysQuery } from './dto/holidays.query';
import { ReferenceItemListDto } from './dto/reference-item.dto';
import { UnitOfWork } from '../database/unit-of-work';
import { ReferenceRepository } from './reference.repository';

@Injectable()
export class ReferenceService {
  constructor(
    private readonly repository: ReferenceRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async listCities(): Promise<CityListDto> {
    return { data: await this.onReplica(() => this.repository.listCities()) };
  }

  async listCategories(): Promise<ReferenceItemListDto> {
    return { data: await this.onReplica(() => this.repository.listCategories()) };
  }

  async listAddOns(): Promise<ReferenceItemListDto> {
    return { data: await this.onReplica(() => this.repository.listAddOns()) };
  }

  async listCityHolidays(citySlug: string, { from, to }: HolidaysQuery): Promise<HolidayListDto> {
    const holidays = await this.onReplica(() => this.repository.findCityHolidays(citySlug, from, to));
    if (!holidays) throw new ProblemException(HttpStatus.NOT_FOUND, { detail: `No city has the slug '${citySlug}'` });
    return { data: holidays };
  }

  /**
   * Reference data changes rarely and is nobody's own: a read replica within
   * DATABASE_REPLICA_MAX_LAG_MS answers it (the primary without one).
   */
  private onReplica<T>(read: () => Promise<T>): Promise<T> {
    return this.unitOfWork.inSession(read, { replica: {} });
  }
}
