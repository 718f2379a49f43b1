import { z } from 'zod';

export const twoFactorCodeSchema = z
  .object({
    code: z
      .string()
      .trim()
      .min(1, 'Enter the code.')
      .max(64)
      .meta({ description: 'The 6-digit code from the authenticator app, or a recovery code' }),
  })
  .meta({ id: 'TwoFactorCodeInput' });

export const twoFactorSetupSchema = z
  .object({
    secret: z.string().meta({ description: 'Base32, for typing into the app by hand' }),
    otpauthUrl: z
      .string()
      .meta({ description: 'otpauth://totp/… (SHA-1, 30 s, 6 digits): what the QR code holds' }),
  })
  .meta({ id: 'TwoFactorSetup' });

export type TwoFactorSetup = z.infer<typeof twoFactorSetupSchema>;

export const twoFactorRecoveryCodesSchema = z
  .object({
    recoveryCodes: z.array(z.string()).meta({
      description: 'Each signs in once in place of a code; shown only now, stored hashed',
    }),
  })
  .meta({ id: 'TwoFactorRecoveryCodes' });

export type TwoFactorRecoveryCodes = z.infer<typeof twoFactorRecoveryCodesSchema>;
