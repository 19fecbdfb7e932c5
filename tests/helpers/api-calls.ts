/** Calling the contract through a real Api in tests: a value or a thrown error, or the refusal expected. */
import type { ApiClient as Api } from '../../src/main/core/api';
import type { CallResult, Method, OutputOf } from '../../src/shared/contract';
import type { ErrorPayload } from '../../src/shared/errors';

export async function callOk<M extends Method>(api: Api, method: M, input: unknown): Promise<OutputOf<M>> {
  const result = (await api.invoke(method, input)) as CallResult<M>;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

export async function refusalOf(api: Api, method: Method, input: unknown): Promise<ErrorPayload> {
  const result = await api.invoke(method, input);
  if (result.ok) throw new Error(`${method} accepted ${JSON.stringify(input)}`);
  return result.error;
}
