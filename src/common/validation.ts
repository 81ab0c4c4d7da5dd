import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/**
 * The one validation pipe: strips nothing silently (an unknown parameter is a 400 naming it),
 * transforms into DTO instances, and answers with a validation problem body.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ProblemException.validation(toParameterErrors(errors)),
  });
}
