"""Roles and stances declared by a deal type: labels, how many parties hold
each role, sample parties, a deal type's own stances and ``build --stance``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run

OWN = ROOT / "examples" / "own-library"
LIB = ["--no-builtin", "--library", str(OWN / "library")]


def _lock_positions(out: Path) -> dict[str, str]:
    lock = json.loads((out / "deal.lock.json").read_text("utf-8"))
    return {c["id"]: c["position"] for c in lock["clauses"]}


def test_new_uses_the_declared_roles_labels_and_stances() -> None:
    result = run("new", "services_agreement", *LIB)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "  - role: customer  # Customer\n    legal_name: Tallow & Finch Retail Ltd\n" in text
    assert "  - role: provider  # Provider\n    legal_name: Corvane Systems Ltd\n" in text
    assert "stance: balanced               # customer_first | balanced | provider_first\n" in text
    data = yaml.safe_load(text)
    assert [p["short_name"] for p in data["parties"]] == ["Tallow & Finch", "Corvane"]


def test_new_without_samples_makes_parties_from_the_labels() -> None:
    data = yaml.safe_load(run("new", "mutual_nda", *LIB).stdout)
    assert [(p["role"], p["short_name"]) for p in data["parties"]] == [
        ("customer", "Prospective Customer"), ("provider", "Prospective Provider")
    ]
    assert data["stance"] == "balanced"


def test_new_refuses_a_stance_the_deal_type_does_not_have() -> None:
    result = run("new", "mutual_nda", "--stance", "pharma", *LIB)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --stance: 'pharma' is not a stance of a mutual_nda deal (discloser, balanced)"


def test_builtin_deal_types_keep_their_three_stances() -> None:
    text = run("new", "research_collaboration").stdout
    assert "stance: balanced               # pharma | balanced | partner\n" in text


def test_stance_chooses_positions_with_exceptions(tmp_path: Path) -> None:
    deal = OWN / "services-agreement.yaml"
    for stance, expected in {
        "customer_first": {"svc.services.standards": "customer", "svc.liability.cap": "customer", "conf.obligations": "balanced"},
        "provider_first": {"svc.services.standards": "provider", "svc.liability.cap": "balanced"},
        "balanced": {"svc.services.standards": "balanced", "svc.liability.cap": "balanced"},
    }.items():
        out = tmp_path / stance
        result = run("build", str(deal), "-o", str(out), "--stance", stance, *LIB)
        assert result.exit_code == 0, result.stderr
        positions = _lock_positions(out)
        assert {k: positions[k] for k in expected} == expected
        # the deal file's own per-clause choice wins over any stance
        assert positions["svc.fees.invoices"] == "balanced"
    provider = (tmp_path / "provider_first" / "agreement.md").read_text("utf-8")
    assert "with reasonable skill and care.\n" in provider
    assert "is limited to one hundred percent (100%) of the fees paid and payable" in provider


def test_a_stance_may_choose_a_position_of_another_name(tmp_path: Path) -> None:
    result = run("build", str(OWN / "mutual-nda.yaml"), "-o", str(tmp_path), *LIB)
    assert result.exit_code == 0, result.stderr
    assert _lock_positions(tmp_path)["conf.obligations"] == "strict"
    assert "This duty lasts for five (5) years" in (tmp_path / "nda.md").read_text("utf-8")


def test_unknown_stance_errors(tmp_path: Path) -> None:
    deal = OWN / "services-agreement.yaml"
    result = run("build", str(deal), "-o", str(tmp_path / "a"), "--stance", "customer", *LIB)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{deal}: --stance: 'customer' is not one of 'customer_first', 'balanced' or 'provider_first' (did you mean 'customer_first'?)"
    )
    bad = tmp_path / "deal.yaml"
    bad.write_text(deal.read_text("utf-8").replace("stance: customer_first", "stance: pharma"), "utf-8")
    result = run("build", str(bad), "-o", str(tmp_path / "b"), *LIB)
    line = bad.read_text("utf-8").splitlines().index("stance: pharma") + 1
    assert result.stderr.strip() == f"{bad}:{line}: stance: 'pharma' is not one of 'customer_first', 'balanced' or 'provider_first'"
    assert not (tmp_path / "b").exists()


def test_stance_flag_on_a_builtin_deal(tmp_path: Path) -> None:
    example = ROOT / "examples" / "research-collaboration.yaml"
    result = run("build", str(example), "-o", str(tmp_path), "--stance", "partner")
    assert result.exit_code == 0, result.stderr
    lock = json.loads((tmp_path / "deal.lock.json").read_text("utf-8"))
    assert lock["deal"]["stance"] == "partner"


def _library_copy(tmp_path: Path) -> Path:
    root = tmp_path / "house"
    shutil.copytree(OWN / "library", root)
    return root


def _edit_type(root: Path, name: str, change) -> None:
    path = root / "deal-types" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(default_stance="customer"),
         "default_stance: 'customer' is not one of the stances (customer_first, balanced, provider_first)"),
        (lambda d: d["parties"]["details"].update(client={"label": "Client"}),
         "parties: details: 'client' is not one of the roles (customer, provider)"),
        (lambda d: d["stances"]["provider_first"]["positions"].update({"svc.liability.cap": "vendor"}),
         "clause svc.liability.cap: stances.provider_first.positions.svc.liability.cap: clause has no 'vendor' position (customer, balanced, provider)"),
        (lambda d: d["stances"]["provider_first"]["positions"].update({"svc.liability.cpa": "balanced"}),
         "stances.provider_first.positions.svc.liability.cpa: unknown clause (did you mean 'svc.liability.cap' or 'svc.liability.exclusions'?)"),
    ],
)
def test_declaration_errors(tmp_path: Path, change, message: str) -> None:
    root = _library_copy(tmp_path)
    _edit_type(root, "services_agreement", change)
    result = run("lint", "--no-builtin", "--library", str(root))
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert result.exit_code == 1
    assert len(errors) == 1 and errors[0].endswith(message), errors


def test_a_stance_that_changes_nothing_is_a_warning(tmp_path: Path) -> None:
    root = _library_copy(tmp_path)
    _edit_type(root, "mutual_nda", lambda d: d["stances"]["discloser"].update(position="stricter"))
    result = run("lint", "--no-builtin", "--library", str(root))
    assert f"warning: {root}/deal-types/mutual_nda.yaml:1: stances.discloser: no clause of the mutual_nda outline has a 'stricter' position, so this stance changes nothing" in result.stdout


def test_role_counts(tmp_path: Path) -> None:
    root = _library_copy(tmp_path)

    def change(d: dict) -> None:
        d["parties"].update(max=4)
        d["parties"]["details"]["provider"].update(min=1, max=2)

    _edit_type(root, "services_agreement", change)
    deal = yaml.safe_load((OWN / "services-agreement.yaml").read_text("utf-8"))
    provider = deal["parties"][1]
    deal["parties"] += [dict(provider, short_name=f"P{i}", legal_name=f"P{i} Ltd") for i in (2, 3)]
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(deal, sort_keys=False), "utf-8")
    result = run("build", str(path), "-o", str(tmp_path / "out"), "--no-builtin", "--library", str(root))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{path}:2: parties: takes at most two parties with role 'provider' (found 3)"


def test_own_roles_without_details_get_their_own_sample_parties(tmp_path: Path) -> None:
    """Before: "parties[1].short_name: short name 'Helixa' is also used by parties[0]"
    for a sample deal the user never wrote, hiding every other lint error."""
    root = _library_copy(tmp_path)
    _edit_type(root, "services_agreement", lambda d: d["parties"].pop("details"))
    result = run("lint", "--no-builtin", "--library", str(root))
    assert "short name" not in result.stdout and result.exit_code == 0, result.stdout
    data = yaml.safe_load(run("new", "services_agreement", "--no-builtin", "--library", str(root)).stdout)
    assert [(p["role"], p["legal_name"], p["short_name"]) for p in data["parties"]] == [
        ("customer", "Customer Party Ltd", "Customer"), ("provider", "Provider Party Ltd", "Provider")
    ]


def test_a_typo_in_a_custom_position_names_the_variable(tmp_path: Path) -> None:
    """Before: "positions.customer.text: money() needs an amount of money, not Undefined"."""
    root = _library_copy(tmp_path)
    path = root / "clauses" / "fees.yaml"
    text = path.read_text("utf-8")
    old = "{{ party('provider') }} shall invoice the fees monthly in arrears. {{ party('customer') }} shall pay each invoice within {{ days(payment_days) }}"
    assert text.count(old) == 2
    path.write_text(text.replace(old, old.replace("days(payment_days)", "days(paymnet_days)"), 1), "utf-8")
    result = run("lint", "--no-builtin", "--library", str(root))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert errors and all("clause svc.fees.invoices: positions.customer.text:" in line and "'paymnet_days'" in line for line in errors)
    assert any(line.endswith("reads variable 'paymnet_days' in its customer position, which no clause declares (did you mean 'payment_days'?)")
               for line in errors), errors


def test_deal_types_json_lists_roles_and_stances() -> None:
    data = json.loads(run("deal-types", "--json", *LIB).stdout)
    services = next(d for d in data if d["id"] == "services_agreement")
    assert services["roles"] == [
        {"id": "customer", "label": "Customer", "min": 1, "max": 1}, {"id": "provider", "label": "Provider", "min": 1, "max": 1}
    ]
    assert services["stances"] == [
        {"id": "customer_first", "label": "Customer first"}, {"id": "balanced", "label": "Balanced"},
        {"id": "provider_first", "label": "Provider first"},
    ]
    assert services["default_stance"] == "balanced"
