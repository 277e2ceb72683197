from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.filter_trial import FilterTrial
from ...models.filter_verdict import FilterVerdict
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    org: str,
    *,
    body: FilterTrial,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org}/webhooks:try-filter".format(
            org=quote(str(org), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FilterVerdict | Problem:
    if response.status_code == 200:
        response_200 = FilterVerdict.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[FilterVerdict | Problem]:
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
    body: FilterTrial,
) -> Response[FilterVerdict | Problem]:
    """Try a filter on an event (the type's example by default): would it reach the webhook?

    Args:
        org (str):
        body (FilterTrial): A filter and the event to try it on: a payload of the type, or the
            type's example. Example: {'event_type': 'invoice.paid', 'filter': {'payload.amount':
            {'$gt': 100}}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FilterVerdict | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: FilterTrial,
) -> FilterVerdict | Problem | None:
    """Try a filter on an event (the type's example by default): would it reach the webhook?

    Args:
        org (str):
        body (FilterTrial): A filter and the event to try it on: a payload of the type, or the
            type's example. Example: {'event_type': 'invoice.paid', 'filter': {'payload.amount':
            {'$gt': 100}}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FilterVerdict | Problem
    """

    return sync_detailed(
        org=org,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: FilterTrial,
) -> Response[FilterVerdict | Problem]:
    """Try a filter on an event (the type's example by default): would it reach the webhook?

    Args:
        org (str):
        body (FilterTrial): A filter and the event to try it on: a payload of the type, or the
            type's example. Example: {'event_type': 'invoice.paid', 'filter': {'payload.amount':
            {'$gt': 100}}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FilterVerdict | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    *,
    client: AuthenticatedClient | Client,
    body: FilterTrial,
) -> FilterVerdict | Problem | None:
    """Try a filter on an event (the type's example by default): would it reach the webhook?

    Args:
        org (str):
        body (FilterTrial): A filter and the event to try it on: a payload of the type, or the
            type's example. Example: {'event_type': 'invoice.paid', 'filter': {'payload.amount':
            {'$gt': 100}}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FilterVerdict | Problem
    """

    return (
        await asyncio_detailed(
            org=org,
            client=client,
            body=body,
        )
    ).parsed
