import { Body, Controller, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponse, ApiTooManyRequestsResponse } from '../common/problem-details.dto';
import { QueryBudget } from '../common/query-budget.decorator';
import { LimitedPerAddress, LOGIN_PER_ADDRESS, REGISTRATION_PER_ADDRESS } from './attempt-limits';
import { AuthService } from './auth.service';
import { AccessTokenDto } from './dto/access-token.dto';
import { LoginRequest } from './dto/login.request';
import { RegisteredUserDto } from './dto/registered-user.dto';
import { RegisterRequest } from './dto/register.request';

/** Responses carrying credentials or account data must not be stored by any cache (RFC 6749 §5.1). */
const NO_STORE = 'no-store';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @LimitedPerAddress(REGISTRATION_PER_ADDRESS)
  @QueryBudget(1)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({
    summary: 'Create a user account (role user)',
    description: 'Limited per client address (REGISTER_RATE_LIMIT an hour, every attempt counts); over the limit: 429 with Retry-After in seconds.',
  })
  @ApiCreatedResponse({ type: RegisteredUserDto })
  @ApiProblemResponse(400, 'Invalid email, password shorter than 8 characters, empty name or unknown field')
  @ApiProblemResponse(409, 'An account with this email exists (compared case-insensitively)')
  @ApiTooManyRequestsResponse('Too many registrations from this client address (type /problems/too-many-registrations)')
  register(@Body() body: RegisterRequest): Promise<RegisteredUserDto> {
    return this.auth.register(body);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @LimitedPerAddress(LOGIN_PER_ADDRESS)
  @QueryBudget(1)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({
    summary: 'Exchange email and password for an access token',
    description:
      'Limited per client address (LOGIN_RATE_LIMIT attempts a minute) and per account (LOGIN_ACCOUNT_RATE_LIMIT failed attempts a minute ' +
      'for one email, from any address; a locked account refuses its owner too until the minute ends); over a limit: 429 with Retry-After in seconds.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblemResponse(400, 'Missing or malformed email or password, or an unknown field')
  @ApiProblemResponse(401, 'Wrong email or password (one answer for both)')
  @ApiTooManyRequestsResponse(
    'Too many login attempts from this client address (type /problems/too-many-login-attempts), or too many failed attempts for this email ' +
      'from any address (type /problems/too-many-failed-logins; the same whether an account has the email or not)',
  )
  login(@Body() body: LoginRequest): Promise<AccessTokenDto> {
    return this.auth.login(body);
  }
}
