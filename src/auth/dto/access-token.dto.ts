import { ApiProperty } from '@nestjs/swagger';

export class AccessTokenDto {
  @ApiProperty({ description: 'HS256 JWT; send it as Authorization: Bearer <accessToken>' })
  accessToken: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires', example: 3600 })
  expiresIn: number;
}
