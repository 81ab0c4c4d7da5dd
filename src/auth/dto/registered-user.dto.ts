import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, UserRole } from '../authenticated-user';

export class RegisteredUserDto {
  @ApiProperty({ type: 'integer', example: 42 })
  id: number;

  @ApiProperty({ format: 'email', example: 'ana@example.com' })
  email: string;

  @ApiProperty({ example: 'Ana García' })
  name: string;

  @ApiProperty({ enum: USER_ROLES, example: 'user' })
  role: UserRole;
}
