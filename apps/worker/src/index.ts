export { startWorker, graphileLogger, type RunningWorker, type StartWorkerOptions } from './worker';
export { createTaskList, cronItems, tasks } from './tasks/index';
export {
  cronItemsOf,
  defineTask,
  taskListOf,
  type AnyTaskDefinition,
  type TaskContext,
  type TaskDefinition,
  type TaskDeps,
} from './tasks/define';
