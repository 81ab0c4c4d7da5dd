import { Body, Controller, Delete, Get, Param, Post, Query, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { QueryBudget } from '../common/query-budget.decorator';
import { VenueRefParams } from '../venues/dto/venue-ref.params';
import { BookingsService } from './bookings.service';
import { BookingIdParams } from './dto/booking-id.params';
import { BookingDto, BookingListDto } from './dto/booking.dto';
import { CreateBookingRequest } from './dto/create-booking.request';
import { MyBookingsQuery } from './dto/my-bookings.query';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from './idempotency-key';

const REPLAYED_HEADER = 'Idempotent-Replayed';

/** SPEC §7: booking a slot, the user's bookings, cancelling one. */
@ApiTags('bookings')
@Controller('v1')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post('venues/:idOrSlug/bookings')
  @Authenticated()
  // With a key: claim, venue, slot availability, insert. A replay runs the claim only.
  @QueryBudget(4)
  @ApiOperation({
    summary: 'Book a slot of a venue on a date',
    description:
      'The total is the slot\'s price on the date (the venue\'s override for the date, else the slot\'s price, else the base price) plus the add-ons\' prices. ' +
      'At most one confirmed booking per venue, slot and date, guaranteed by the database: of concurrent requests for one slot exactly one gets 201.',
  })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Makes retries safe (draft-ietf-httpapi-idempotency-key-header): the same key with the same request within IDEMPOTENCY_KEY_TTL_S (24 h or more) answers the original 201 and body without booking again; ' +
      'with another request 422; while the first request is still running 409. Keys are per user. A request that fails leaves its key unused.',
    schema: { type: 'string', minLength: 1, maxLength: 257, example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' },
  })
  @ApiCreatedResponse({
    type: BookingDto,
    description: 'The booking (confirmed)',
    headers: { [REPLAYED_HEADER]: { description: '`true` when this is the stored response of an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } } },
  })
  @ApiProblemResponse(400, 'Malformed body, path or Idempotency-Key (errors name each parameter)')
  @ApiProblemResponse(404, 'No active venue has this id or slug')
  @ApiProblemResponse(409, 'The slot is already booked on that date (/problems/slot-taken), or a request with this Idempotency-Key is still running (/problems/idempotency-key-in-flight)')
  @ApiProblemResponse(
    422,
    'Not bookable, the problem type names why: date-in-past, date-too-far-ahead, venue-closed-holiday, venue-closed-blackout, slot-not-offered, guests-outside-capacity, add-on-not-offered; ' +
      'or idempotency-key-mismatch (the key was used for another request)',
  )
  async create(
    @Param() { idOrSlug }: VenueRefParams,
    @Body() request: CreateBookingRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: object,
  ): Promise<BookingDto> {
    const result = await this.bookings.book(user, idOrSlug, request, idempotencyKey);
    if (result.replayed) this.adapterHost.httpAdapter.setHeader(response, REPLAYED_HEADER, 'true');
    return result.booking;
  }

  @Get('me/bookings')
  @Authenticated()
  @QueryBudget(1)
  @ApiOperation({ summary: "The signed-in user's bookings, cancelled ones included, latest date first" })
  @ApiOkResponse({ type: BookingListDto })
  @ApiProblemResponse(400, 'Invalid page or pageSize, or an unknown parameter')
  listMine(@Query() query: MyBookingsQuery, @CurrentUser() user: AuthenticatedUser): Promise<BookingListDto> {
    return this.bookings.listMine(user, query);
  }

  @Delete('bookings/:id')
  @Authenticated()
  @QueryBudget(1)
  @ApiOperation({
    summary: 'Cancel one of your bookings',
    description: 'Idempotent: cancelling a cancelled booking answers 200 with it again. Bookings of dates that have passed (venue time zone) cannot be cancelled.',
  })
  @ApiOkResponse({ type: BookingDto, description: 'The booking, now cancelled' })
  @ApiProblemResponse(400, 'The id is not a positive integer')
  @ApiProblemResponse(404, 'You have no booking with this id (another user\'s booking included)')
  @ApiProblemResponse(422, 'The booking\'s date has passed (/problems/booking-in-past)')
  cancel(@Param() { id }: BookingIdParams, @CurrentUser() user: AuthenticatedUser): Promise<BookingDto> {
    return this.bookings.cancel(user, id);
  }
}
