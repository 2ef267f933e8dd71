-- Workflow run cursors (IWorkflowRunStore). json is the WorkflowRun; owner is the instance advancing the run right now
-- (null when none), again says another instance asked it for one more pass while it held the run.
create table workflow_runs (
    id          text primary key,
    ticket      text not null,
    status      text not null,
    started_at  timestamptz not null,
    owner       text,
    again       boolean not null default false,
    json        text not null
);
create index workflow_runs_unfinished on workflow_runs (started_at) where status in ('Running', 'WaitingForApproval');
create index workflow_runs_ticket on workflow_runs (ticket, started_at);
