import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

export class ParameterErrorDto {
  @ApiProperty({ description: 'The query, path or body parameter at fault', example: 'from' })
  parameter: string;

  @ApiProperty({ example: 'from must be a real calendar date in the form YYYY-MM-DD' })
  message: string;
}

/** OpenAPI schema of the RFC 9457 body every error response carries (see ProblemDetailsFilter). */
export class ProblemDetailsDto {
  @ApiProperty({ description: 'URI reference naming the kind of problem; about:blank for plain HTTP errors', example: 'about:blank' })
  type: string;

  @ApiProperty({ example: 'Not Found' })
  title: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 })
  status: number;

  @ApiProperty({ example: "No city has the slug 'atlantis'" })
  detail: string;

  @ApiPropertyOptional({ description: 'URI reference identifying this occurrence of the problem' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Set on 5xx responses: the X-Request-Id to quote when reporting the problem' })
  requestId?: string;

  @ApiPropertyOptional({ type: [ParameterErrorDto], description: 'Set on validation problems: one entry per offending parameter' })
  errors?: ParameterErrorDto[];
}

/** Documents an error status of a route as a problem details body served as application/problem+json. */
export function ApiProblemResponse(status: number, description: string): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiExtraModels(ProblemDetailsDto), ApiResponse({ status, description, content: problemContent() }));
}

/** Documents a route's 429: a problem body naming the limit, and Retry-After. */
export function ApiTooManyRequestsResponse(description: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ApiResponse({
      status: 429,
      description,
      headers: { 'Retry-After': { description: 'Seconds until the limit lets this client in again (at least 1)', schema: { type: 'integer', minimum: 1 } } },
      content: problemContent(),
    }),
  );
}

function problemContent() {
  return { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } };
}
