import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from './register.request';

/** Only shapes are checked: whether the email exists is never told apart from a wrong password. */
export class LoginRequest {
  @ApiProperty({ maxLength: 254, example: 'demo@example.com' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password', maxLength: MAX_PASSWORD_LENGTH, example: 'demo-password' })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}
