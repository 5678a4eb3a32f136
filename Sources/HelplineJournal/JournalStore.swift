import HelplineBrokerCore

/// What the broker's loop needs of a journal, whatever keeps it: `Journal` (SQLite, the
/// embedded default) or a PostgreSQL journal (HelplineJournalPostgres).
///
/// The rules are the same for every store: the loop appends the records of one wake-up,
/// then commits once; nothing of that wake-up is sent before `commit` returns.
public protocol JournalStore: AnyObject {
    /// Adds one record to the open transaction (opening one if needed). `body` is valid
    /// only during the call.
    func append(_ record: JournalRecord, body: UnsafeRawBufferPointer?) throws(JournalError)
    /// Makes every record appended since the last commit durable; on error none of them is.
    func commit() throws(JournalError)
    /// Abandons the open transaction.
    func rollback()
    /// Whether the store takes a write now (for a broker waiting for it to come back).
    func probe() throws(JournalError)
    /// Housekeeping between batches; never fails the loop.
    func maintain()
    /// Every ticket the store holds, replayed, for `HelplineBrokerCore.restore`.
    func restoredTickets<Body>(makeBody: (UnsafeRawBufferPointer) -> Body) throws(JournalError) -> [RestoredTicket<Body>]
}

extension Journal: JournalStore {}
