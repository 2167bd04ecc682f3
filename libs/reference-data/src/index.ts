export * from './states';
export * from './cooperation';
export * from './themes';
export * from './sdg';
