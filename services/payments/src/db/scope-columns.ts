// The kit's scoped-row helpers, where payments' repositories have always imported them.
export { scopeColumns, type Unscoped } from '@expe/server-kit';
