/**
 * Redis pub/sub channels that carry events to WebSocket clients. The payments relay publishes
 * each event to every channel it concerns; gateway replicas subscribe to the channels their
 * clients asked for. Channel names include the deployment's key prefix (pub/sub is not
 * prefixed by ioredis' keyPrefix), so two deployments on one Redis never cross.
 */
export const realtimeChannels = {
  payment: (paymentId: string) => `events:payment:${paymentId}`,
  /**
   * The WebSocket `merchant` channel of a key: its project and mode (a project is the boundary,
   * so two projects of one merchant never share a channel).
   */
  project: (projectId: string, mode: 'test' | 'live') => `events:project:${projectId}:${mode}`,
  user: (userId: string) => `events:user:${userId}`,
};

export function prefixedChannel(keyPrefix: string, channel: string): string {
  return `${keyPrefix}${channel}`;
}
