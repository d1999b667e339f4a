import { type MutationFunction, useMutation } from '@tanstack/react-query';
import { App } from 'antd';

/** A mutation that shows the server's localized error message unless the caller handles errors itself. */
export function useApiMutation<TData, TVariables = void>(
  mutationFn: MutationFunction<TData, TVariables>,
  options: {
    onSuccess?: (data: TData, variables: TVariables) => unknown;
    onError?: (error: Error, variables: TVariables) => boolean | undefined;
  } = {},
) {
  const { message } = App.useApp();
  return useMutation<TData, Error, TVariables>({
    mutationFn,
    onSuccess: (data, variables) => options.onSuccess?.(data, variables),
    onError: (error, variables) => {
      // The handler returns true when it showed the error itself (e.g. inline in a form).
      if (options.onError?.(error, variables)) return;
      void message.error(error.message);
    },
  });
}
