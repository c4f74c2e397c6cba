import { type CallbackContext, requestOptions } from './peer.js';

/** Asks the person behind the MCP client through form elicitation; anything but an accept is a no. */
export async function elicitApproval(
  payload: Record<string, unknown>,
  context: CallbackContext,
): Promise<{ approved: boolean; reason?: string }> {
  const details =
    payload.context === undefined ? '' : `\n\nDetails:\n${JSON.stringify(payload.context, null, 2)}`;
  const result = await context.peer.elicitInput(
    {
      mode: 'form',
      message: `${String(payload.message)}${details}`,
      requestedSchema: {
        type: 'object',
        properties: {
          approved: { type: 'boolean', title: 'Approve', description: 'Allow the agent code to go ahead' },
          reason: { type: 'string', title: 'Reason', description: 'Optional note for the agent' },
        },
        required: ['approved'],
      },
    },
    requestOptions(context),
  );
  if (result.action !== 'accept') return { approved: false, reason: `the user chose ${result.action}` };
  const reason = result.content?.reason;
  return {
    approved: result.content?.approved === true,
    ...(typeof reason === 'string' && reason !== '' ? { reason } : {}),
  };
}
