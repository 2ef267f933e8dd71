-- Time-bound access grants (IAccessGrantStore). json is the AccessGrant; revoker is the instance revoking it right now.
create table access_grants (
    id          text primary key,
    state       text not null,
    user_id     text not null,
    grp         text not null,
    granted_at  timestamptz not null,
    expires_at  timestamptz not null,
    revoker     text,
    json        text not null
);
create index access_grants_active on access_grants (expires_at) where state = 'Active';
create index access_grants_member on access_grants (user_id, grp) where state = 'Active';
