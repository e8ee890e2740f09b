export { startWorker, graphileLogger, type RunningWorker, type StartWorkerOptions } from './worker';
export { createTaskList, cronItems } from './tasks/index';
