import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { timeValidation } from '../profiling/profiler-context';
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

/** Reports its own time as the request's `validation` stage. */
class ProfiledValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return timeValidation(() => super.transform(value, metadata));
  }
}

/**
 * The one validation pipe: strips nothing silently (an unknown parameter is a 400 naming it),
 * transforms into DTO instances, and answers with a validation problem body.
 */
export function createValidationPipe(): ValidationPipe {
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
