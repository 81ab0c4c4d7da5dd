import { Body, Controller, Header, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { QueryBudget } from '../common/query-budget.decorator';
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
  @QueryBudget(1)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: 'Create a user account (role user)' })
  @ApiCreatedResponse({ type: RegisteredUserDto })
  @ApiProblemResponse(400, 'Invalid email, password shorter than 8 characters, empty name or unknown field')
  @ApiProblemResponse(409, 'An account with this email exists (compared case-insensitively)')
  register(@Body() body: RegisterRequest): Promise<RegisteredUserDto> {
    return this.auth.register(body);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @UseGuards(ThrottlerGuard)
  @QueryBudget(1)
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({
    summary: 'Exchange email and password for an access token',
    description: 'Rate-limited per client IP (LOGIN_RATE_LIMIT a minute); over the limit: 429 with Retry-After in seconds.',
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblemResponse(400, 'Missing or malformed email or password, or an unknown field')
  @ApiProblemResponse(401, 'Wrong email or password (one answer for both)')
  @ApiProblemResponse(429, 'Too many login attempts from this client; retry after Retry-After seconds')
  login(@Body() body: LoginRequest): Promise<AccessTokenDto> {
    return this.auth.login(body);
  }
}
