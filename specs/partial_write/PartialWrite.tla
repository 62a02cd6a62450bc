---------------------------- MODULE PartialWrite ----------------------------
(***************************************************************************)
(* A partial write: a worker dies between applying a job's external effect *)
(* and recording it.                                                       *)
(*                                                                         *)
(* The effect (a charge) lands in the external world, outside any          *)
(* transaction; the ledger that records it lives in the store, and so does *)
(* the job's completion.  The commit boundary applies the effect, then     *)
(* records it and completes the job in one transaction: a worker that dies *)
(* after the effect landed and before that transaction committed leaves   *)
(* an effect the ledger does not know, on a job still claimed.  Its lease  *)
(* runs out and the job is delivered again (at-least-once).  The retry's   *)
(* boundary must then find the effect that already landed, and record it   *)
(* instead of applying it a second time: the ledger cannot know of it, so  *)
(* only the world can say.                                                 *)
(*                                                                         *)
(* world and ledger are both sets of [job, epoch]: in the world, the       *)
(* delivery that applied the effect; in the ledger, the delivery that      *)
(* recorded it (a reconciling retry records what an earlier one applied).  *)
(*                                                                         *)
(* The guard this model's failure mode removes is a named operator with    *)
(* its "Incorrectly" twin beside it; the bug config overrides it, nothing  *)
(* else.                                                                   *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Workers,    \* the worker processes
    Jobs,       \* job keys: the stable identity of each job and of its effect
    MaxEpoch,   \* the bounded model's horizon: deliveries per job
    NoAttempt   \* a model value: the worker holds no delivery

ASSUME MaxEpoch \in Nat \ {0}

VARIABLES
    status,     \* status[j]: "runnable", "claimed" or "done"
    epoch,      \* epoch[j]: deliveries so far; the current delivery's fencing token
    attempt,    \* attempt[w]: the delivery worker w holds
    world,      \* the external world: [job, epoch] of every effect that landed
    ledger,     \* the store's ledger: [job, epoch] of every effect on record
    lastAction  \* the step just taken and its arguments, for replaying traces

vars == <<status, epoch, attempt, world, ledger, lastAction>>

(* lastAction only labels the step; the safety configs fold it away.      *)
view == <<status, epoch, attempt, world, ledger>>

Statuses == {"runnable", "claimed", "done"}
Attempts == [job : Jobs, epoch : 1..MaxEpoch]
ActionNames == {"Init", "Claim", "Commit", "CrashAfterEffect", "Crash", "ExpireLease"}

NoArgs == [x \in {} |-> x]
Step(name, args) == lastAction' = [name |-> name, args |-> args]

TypeOK ==
    /\ status \in [Jobs -> Statuses]
    /\ epoch \in [Jobs -> 0..MaxEpoch]
    /\ attempt \in [Workers -> Attempts \cup {NoAttempt}]
    /\ world \subseteq Attempts
    /\ ledger \subseteq Attempts
    /\ lastAction.name \in ActionNames

(* Job j's effects in the world, and its records in the ledger.           *)
LandedOf(j) == {e \in world : e.job = j}
RecordsOf(j) == {r \in ledger : r.job = j}

(* Some live worker holds a delivery of job j.  A worker's delivery is    *)
(* always the job's current one here: a lease runs out only once its      *)
(* holder is dead.                                                        *)
Held(j) == \E w \in Workers : attempt[w] # NoAttempt /\ attempt[w].job = j

-----------------------------------------------------------------------------
(***************************************************************************)
(* The guard.  The one place the bug variant changes.                      *)
(***************************************************************************)

(* Whether the commit boundary finds job j's effect already landed before *)
(* it applies it.  It asks the external world, by the job's key: after a  *)
(* partial write the world is the only one that knows.                    *)
EffectFound(j) == LandedOf(j) # {}
IncorrectlyEffectFound(j) == RecordsOf(j) # {}  \* asks only the ledger

-----------------------------------------------------------------------------
Init ==
    /\ status = [j \in Jobs |-> "runnable"]
    /\ epoch = [j \in Jobs |-> 0]
    /\ attempt = [w \in Workers |-> NoAttempt]
    /\ world = {}
    /\ ledger = {}
    /\ lastAction = [name |-> "Init", args |-> NoArgs]

(* A worker claims a runnable job: a delivery, with a higher epoch.       *)
Claim(w, j) ==
    /\ attempt[w] = NoAttempt
    /\ status[j] = "runnable"
    /\ epoch[j] < MaxEpoch
    /\ status' = [status EXCEPT ![j] = "claimed"]
    /\ epoch' = [epoch EXCEPT ![j] = @ + 1]
    /\ attempt' = [attempt EXCEPT ![w] = [job |-> j, epoch |-> epoch[j] + 1]]
    /\ Step("Claim", [w |-> w, j |-> j])
    /\ UNCHANGED <<world, ledger>>

(* The handler commits its effect through the boundary: the effect lands  *)
(* unless the boundary finds it already landed, and either way it is      *)
(* recorded and the job completes, in one transaction.                    *)
Commit(w) ==
    /\ attempt[w] # NoAttempt
    /\ LET j == attempt[w].job IN
       /\ world' = IF EffectFound(j) THEN world ELSE world \cup {attempt[w]}
       /\ ledger' = ledger \cup {attempt[w]}
       /\ status' = [status EXCEPT ![j] = "done"]
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Commit", [w |-> w])
    /\ UNCHANGED epoch

(* The partial write: the boundary applies the effect (it did not find it *)
(* landed), and the worker dies before the transaction that records it    *)
(* commits.  The effect stays in the world; the store rolls back to the   *)
(* job still claimed, under a lease that will run out.                    *)
CrashAfterEffect(w) ==
    /\ attempt[w] # NoAttempt
    /\ ~EffectFound(attempt[w].job)
    /\ world' = world \cup {attempt[w]}
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("CrashAfterEffect", [w |-> w])
    /\ UNCHANGED <<status, epoch, ledger>>

(* The worker dies before its handler reaches the boundary: nothing lands. *)
Crash(w) ==
    /\ attempt[w] # NoAttempt
    /\ attempt' = [attempt EXCEPT ![w] = NoAttempt]
    /\ Step("Crash", [w |-> w])
    /\ UNCHANGED <<status, epoch, world, ledger>>

(* The lease of a job whose worker died runs out, and the reaper makes it *)
(* runnable again: at-least-once delivery.                                *)
ExpireLease(j) ==
    /\ status[j] = "claimed"
    /\ ~Held(j)
    /\ status' = [status EXCEPT ![j] = "runnable"]
    /\ Step("ExpireLease", [j |-> j])
    /\ UNCHANGED <<epoch, attempt, world, ledger>>

(* Nothing left to do, or nothing that can be done: the system idles.     *)
Done == UNCHANGED vars

Next ==
    \/ \E w \in Workers, j \in Jobs : Claim(w, j)
    \/ \E w \in Workers : Commit(w) \/ CrashAfterEffect(w) \/ Crash(w)
    \/ \E j \in Jobs : ExpireLease(j)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Once a job's effect is on record (its commit, or the retry that found  *)
(* it landed and recorded it), the world and the ledger agree: every      *)
(* effect has its record and every record its effect.  Before that, a     *)
(* partial write's effect waits for the retry that reconciles it.         *)
EffectsMatchRecords ==
    \A j \in Jobs : RecordsOf(j) # {} => Cardinality(LandedOf(j)) = Cardinality(RecordsOf(j))
=============================================================================
