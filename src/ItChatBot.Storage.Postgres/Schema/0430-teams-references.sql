-- What the Teams adapter must remember to write first (IConversationReferences): per conversation its connector and bot,
-- per user their Teams id and personal chat. user_id = the directory's id (Entra object id), else the Teams id.
create table teams_conversations (
    conversation_id    text primary key,
    service_url        text not null,
    tenant_id          text,
    conversation_type  text,
    bot_id             text not null,
    bot_name           text
);

create table teams_users (
    user_id        text primary key,
    teams_user_id  text not null,
    name           text,
    service_url    text not null,
    tenant_id      text,
    bot_id         text not null,
    bot_name       text,
    personal       text
);
create index teams_users_teams_user_id on teams_users (teams_user_id);
