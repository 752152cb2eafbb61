// ioredis-mock ships no types; it mirrors ioredis' client, so it is typed as one.
declare module 'ioredis-mock' {
  import type { Redis, RedisOptions } from 'ioredis';

  const RedisMock: new (options?: RedisOptions) => Redis;
  export default RedisMock;
}
