import type { TaskList } from 'graphile-worker';
import { analysisRunTask } from './analysis__run';
import { cronItemsOf, taskListOf, type AnyTaskDefinition, type TaskDeps } from './define';
import { fileCleanupTask } from './file__cleanup';
import { notificationDeliverTask } from './notification__deliver';
import { sessionCleanupTask } from './session__cleanup';
import { subscriptionExpireTask } from './subscription__expire';
import { subscriptionWarnTask } from './subscription__warn';
import { usageRolloverTask } from './usage__rollover';
import { heartbeatTask } from './system__heartbeat';

/**
 * Every task this worker runs (`<domain>__<action>`), each defined once. Explicit: no directory
 * scan. The task list and the crontab are both built from this array.
 */
export const tasks: readonly AnyTaskDefinition[] = [
  heartbeatTask,
  sessionCleanupTask,
  analysisRunTask,
  subscriptionExpireTask,
  subscriptionWarnTask,
  usageRolloverTask,
  fileCleanupTask,
  notificationDeliverTask,
];

export function createTaskList(deps: TaskDeps): TaskList {
  return taskListOf(tasks, deps);
}

export const cronItems = cronItemsOf(tasks);
