/** Removes secrets (a page's token, its app secret, their proof) from text that may end up in logs. */
export class SecretRedactor {
  private readonly secrets: string[];

  constructor(secrets: string[]) {
    this.secrets = secrets.filter((secret) => secret.length > 0);
  }

  redact(text: string): string;
  redact(text: string | null): string | null;
  redact(text: string | null): string | null {
    if (text === null) return null;
    return this.secrets.reduce((result, secret) => result.replaceAll(secret, '[redacted]'), text);
  }
}
