"""What the money grammar finds: a sum in the text and a remedy payment read from it."""

from __future__ import annotations

from dataclasses import dataclass

from remedy_model.ingest.layout import Span


@dataclass
class FoundPayment:
    """One remedy payment found in the text, before it becomes a codebook payment dict."""

    amount_gbp: float
    symbolic: bool
    purpose: str
    recipient: str
    per_period: str | None
    span: Span
    sentence: Span
    is_total: bool = False
    payer_each: bool = False
    recipient_from_text: bool = False
    note: str | None = None

    @property
    def basis(self) -> str:
        """A few words, our own, on what the payment is for."""
        words = _BASIS[self.purpose]
        return f"{words} (rate per {self.per_period})" if self.per_period else words

    def as_dict(self) -> dict[str, object]:
        """The codebook's payment object."""
        return {
            "amount_gbp": self.amount_gbp,
            "recipient": self.recipient,
            "purpose": self.purpose,
            "symbolic": self.symbolic,
            "per_period": self.per_period,
            "basis": self.basis,
        }


_BASIS = {
    "distress": "avoidable distress caused by the faults",
    "time_and_trouble": "time and trouble pursuing the complaint",
    "loss_of_service": "care or support that was not provided",
    "carer_strain": "extra strain on the unpaid carer",
    "lost_respite": "respite or short breaks not provided",
    "lost_education": "education that was not provided",
    "refund": "refund of money paid out",
    "financial_loss": "money lost because of the faults",
    "waived_charge": "charges cancelled or waived",
    "backdated_support": "support money owed from the past",
    "other": "remedy payment, purpose not stated",
}


@dataclass(frozen=True)
class Amount:
    """A sum of money at ``[start, end)``."""

    start: int
    end: int
    value: float
