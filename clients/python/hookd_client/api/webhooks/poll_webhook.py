from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.pulled import Pulled
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org: str,
    id: str,
    *,
    iterator: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["iterator"] = iterator

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org}/webhooks/{id}/poll".format(
            org=quote(str(org), safe=""),
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Pulled:
    if response.status_code == 200:
        response_200 = Pulled.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Pulled]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    iterator: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Problem | Pulled]:
    """Pull a poll webhook's waiting deliveries, oldest first (at least once: each iterator acknowledges
    what came before it)

    Args:
        org (str):
        id (str):
        iterator (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Pulled]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        iterator=iterator,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    iterator: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Problem | Pulled | None:
    """Pull a poll webhook's waiting deliveries, oldest first (at least once: each iterator acknowledges
    what came before it)

    Args:
        org (str):
        id (str):
        iterator (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Pulled
    """

    return sync_detailed(
        org=org,
        id=id,
        client=client,
        iterator=iterator,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    iterator: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Problem | Pulled]:
    """Pull a poll webhook's waiting deliveries, oldest first (at least once: each iterator acknowledges
    what came before it)

    Args:
        org (str):
        id (str):
        iterator (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Pulled]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        iterator=iterator,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    iterator: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Problem | Pulled | None:
    """Pull a poll webhook's waiting deliveries, oldest first (at least once: each iterator acknowledges
    what came before it)

    Args:
        org (str):
        id (str):
        iterator (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Pulled
    """

    return (
        await asyncio_detailed(
            org=org,
            id=id,
            client=client,
            iterator=iterator,
            limit=limit,
        )
    ).parsed
