import { ArgumentMetadata, PipeTransform, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { timeValidation } from '../request-context/request-context';
import { todayUtc } from './calendar-date';
import { ParameterError, ProblemException } from './problem-details';

/** Flattens class-validator errors (nested DTOs included) into `{parameter, message}` pairs. */
export function toParameterErrors(errors: ValidationError[], parentPath = ''): ParameterError[] {
  return errors.flatMap((error) => {
    const parameter = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      parameter,
      message: constraint === 'whitelistValidation' ? `unknown parameter '${parameter}'` : message,
    }));
    return [...own, ...toParameterErrors(error.children ?? [], parameter)];
  });
}

const reusableQueryTypes = new WeakSet<object>();

/**
 * Marks a query DTO whose validated instance may serve every request with the same query string
 * on the same UTC day (its rules may depend on today, nothing else). For a hot, cached route:
 * class-transformer and class-validator were ~9% of a cache hit's CPU. The shared instance is
 * frozen, so no request can change what another one reads.
 */
export function ReusableValidation(): ClassDecorator {
  return (target) => {
    reusableQueryTypes.add(target);
  };
}

const MAX_REUSED_QUERIES = 1000;

/** Query DTOs hold scalars and lists of scalars: freezing those makes them read-only throughout. */
function freezeQuery<T>(query: T): T {
  for (const field of Object.values(query as object)) if (Array.isArray(field)) Object.freeze(field);
  return Object.freeze(query);
}

/** Nest's ValidationPipe, telling which parameters it validates (a DTO class; not a primitive or a custom decorator's value). */
class DtoValidationPipe extends ValidationPipe {
  validates(metadata: ArgumentMetadata): boolean {
    return this.toValidate(metadata);
  }
}

/**
 * Reports the time of what it validates as the request's `validation` stage, and reuses
 * validated reusable queries. Wraps Nest's pipe rather than extending it: Nest awaits whatever a
 * pipe returns, so a reused query is handed back as is, with no promise around it.
 */
class ProfiledValidationPipe implements PipeTransform {
  private readonly validatedQueries = new Map<string, unknown>();
  private readonly validation: DtoValidationPipe;

  constructor(options: ValidationPipeOptions) {
    this.validation = new DtoValidationPipe(options);
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!this.validation.validates(metadata)) return this.validation.transform(value, metadata);
    return timeValidation(() => (this.isReusable(metadata) ? this.reuseOrValidate(value, metadata) : this.validation.transform(value, metadata)));
  }

  private isReusable(metadata: ArgumentMetadata): boolean {
    return metadata.type === 'query' && metadata.metatype !== undefined && reusableQueryTypes.has(metadata.metatype);
  }

  private reuseOrValidate(value: unknown, metadata: ArgumentMetadata): unknown {
    const key = `${metadata.metatype!.name}|${todayUtc()}|${JSON.stringify(value)}`;
    return this.validatedQueries.get(key) ?? this.validateAndRemember(key, value, metadata);
  }

  private async validateAndRemember(key: string, value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated = freezeQuery(await this.validation.transform(value, metadata));
    if (this.validatedQueries.size >= MAX_REUSED_QUERIES) this.validatedQueries.delete(this.validatedQueries.keys().next().value!);
    this.validatedQueries.set(key, validated);
    return validated;
  }
}

/**
 * The one validation pipe: strips nothing silently (an unknown parameter is a 400 naming it),
 * transforms into DTO instances, and answers with a validation problem body.
 */
export function createValidationPipe(): PipeTransform {
  return new ProfiledValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    // Off so that a DTO without properties (a route taking no parameters) still rejects every unknown one.
    forbidUnknownValues: false,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ProblemException.validation(toParameterErrors(errors)),
  });
}
