-- DueAsync holds back an update (OutboundMessage.UpdateOf, in the message's JSON) of a message still waiting for its
-- next attempt, and looks that message up by id (outbox.mid is unique already); failing messages are listed by seq.
create index outbox_failing on outbox (seq) where state = 'Pending' and attempts > 0;
