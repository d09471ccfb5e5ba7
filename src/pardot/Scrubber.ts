/**
 * Removes secrets from text before it reaches an error message, a log line or an event.
 * Known secrets (client secret, password, refresh token, private key, every access token the
 * client has seen) are replaced by `***`, and query strings are cut from URLs, since Pardot
 * and proxies echo them and a query may carry credentials.
 */
export class Scrubber {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Registers one more secret; values shorter than 4 characters are ignored as too common. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('***');
    }
    return stripQueries(out);
  }
}

/** Cuts `?query` from anything that looks like a URL or a path. */
export function stripQueries(text: string): string {
  return text.replace(/((?:https?:\/\/|\/)[^\s?'"]*)\?[^\s'"]*/g, '$1?…');
}

/** A URL without its query string or user info, safe to log. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return stripQueries(url);
  }
}
