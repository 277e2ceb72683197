from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.accepted import Accepted
from ...models.event_in import EventIn
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    *,
    body: EventIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org}/events".format(
            org=quote(str(org), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Accepted | Problem:
    if response.status_code == 202:
        response_202 = Accepted.from_dict(response.json())

        return response_202

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Accepted | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: EventIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem]:
    """Publish an event (an Idempotency-Key header makes a retry safe)

    Args:
        org (str):
        idempotency_key (str | Unset):
        body (EventIn): An event as the operator publishes it. Example: {'payload': {'email':
            'ada@example.com', 'id': 42}, 'resource_url': 'https://app.example.com/users/42', 'type':
            'user.created'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: EventIn,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | None:
    """Publish an event (an Idempotency-Key header makes a retry safe)

    Args:
        org (str):
        idempotency_key (str | Unset):
        body (EventIn): An event as the operator publishes it. Example: {'payload': {'email':
            'ada@example.com', 'id': 42}, 'resource_url': 'https://app.example.com/users/42', 'type':
            'user.created'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | Problem
    """

    return sync_detailed(
        org=org,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: EventIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Accepted | Problem]:
    """Publish an event (an Idempotency-Key header makes a retry safe)

    Args:
        org (str):
        idempotency_key (str | Unset):
        body (EventIn): An event as the operator publishes it. Example: {'payload': {'email':
            'ada@example.com', 'id': 42}, 'resource_url': 'https://app.example.com/users/42', 'type':
            'user.created'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Accepted | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: EventIn,
    idempotency_key: str | Unset = UNSET,
) -> Accepted | Problem | None:
    """Publish an event (an Idempotency-Key header makes a retry safe)

    Args:
        org (str):
        idempotency_key (str | Unset):
        body (EventIn): An event as the operator publishes it. Example: {'payload': {'email':
            'ada@example.com', 'id': 42}, 'resource_url': 'https://app.example.com/users/42', 'type':
            'user.created'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Accepted | Problem
    """

    return (
        await asyncio_detailed(
            org=org,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
