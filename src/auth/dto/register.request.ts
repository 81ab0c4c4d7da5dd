import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MIN_PASSWORD_LENGTH = 8;
/** Generous for passphrases, small enough that hashing cannot be turned into a CPU sink. */
export const MAX_PASSWORD_LENGTH = 1024;

export class RegisterRequest {
  @ApiProperty({ format: 'email', maxLength: 254, description: 'Unique, compared case-insensitively', example: 'ana@example.com' })
  @Transform(trimmed)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, example: 'correct horse battery' })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Ana García' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name: string;
}
