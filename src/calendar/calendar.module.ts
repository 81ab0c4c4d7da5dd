import { Global, Module } from '@nestjs/common';
import { HolidayCalendar } from './holiday-calendar';
import { HolidayRepository } from './holiday.repository';

@Global()
@Module({
  providers: [HolidayRepository, HolidayCalendar],
  exports: [HolidayCalendar],
})
export class CalendarModule {}
