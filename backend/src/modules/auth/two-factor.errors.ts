import { AppError, ForbiddenError, UnauthenticatedError } from '../../errors.js';

/** 401 TWO_FACTOR_REQUIRED: the password was right; the sign-in needs the code too. */
export class TwoFactorRequiredError extends UnauthenticatedError {
  constructor() {
    super('Enter the 6-digit code from your authenticator app.', 'TWO_FACTOR_REQUIRED');
  }
}

/**
 * INVALID_TWO_FACTOR_CODE: wrong, expired, already used (a replay) or a spent recovery code.
 * 401 at sign-in; 400 for a signed-in user (enable, disable), whose session a 401 would end.
 */
export class InvalidTwoFactorCodeError extends AppError {
  constructor(status: 400 | 401) {
    super(
      'INVALID_TWO_FACTOR_CODE',
      'That code is not right. Use the current code from your authenticator app, or an unused recovery code.',
      status,
    );
  }
}

/** 403 TWO_FACTOR_SETUP_REQUIRED: the tenant requires admins to use two-factor; set it up. */
export class TwoFactorSetupRequiredError extends ForbiddenError {
  constructor() {
    super(
      'Your business requires admins to use two-factor authentication. Set it up to continue.',
      'TWO_FACTOR_SETUP_REQUIRED',
    );
  }
}
