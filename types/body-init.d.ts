// The root type check runs with Node's types and no DOM lib. @types/node 20 declares fetch,
// Request and Response globally but not the DOM name BodyInit, which the SDK's generated
// client uses. This alias takes it from undici, Node's fetch implementation.
type BodyInit = import('undici-types').BodyInit;
