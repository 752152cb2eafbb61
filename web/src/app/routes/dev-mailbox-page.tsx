// /dev/mailbox: the page lives in its feature; this file is the route's lazy chunk.
export { DevMailboxPage } from '../../features/auth/dev-mailbox-page';
