import type { InputHTMLAttributes } from 'vue';

/**
 * Attributes for the native <input> inside a naive-ui input: the id its <label for> points at,
 * doubling as the stable data-testid the browser tests use.
 */
export function nativeInputProps(id: string, extra: InputHTMLAttributes = {}): InputHTMLAttributes {
  const attributes: InputHTMLAttributes & Record<`data-${string}`, string> = {
    ...extra,
    id,
    'data-testid': id,
  };
  return attributes;
}
