export {
  createAuthJsAdapter,
  type AuthJsUserExtras,
  type StrataAdapterUser,
  type StrataAuthJsAdapter,
} from './authjs/authjs-adapter.js';
