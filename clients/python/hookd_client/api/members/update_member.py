from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.member import Member
from ...models.member_in import MemberIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    org: str,
    id: str,
    *,
    body: MemberIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/orgs/{org}/members/{id}".format(
            org=quote(str(org), safe=""),
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Member | Problem:
    if response.status_code == 200:
        response_200 = Member.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Member | Problem]:
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
    body: MemberIn,
) -> Response[Member | Problem]:
    """Update a member (also status)

    Args:
        org (str):
        id (str):
        body (MemberIn): A new member (name, email and role required) or an edit (absent fields
            unchanged). Example: {'email': 'ada@example.com', 'groups': ['ops'], 'name': 'Ada
            Lovelace', 'role': 'admin'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        body=body,
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
    body: MemberIn,
) -> Member | Problem | None:
    """Update a member (also status)

    Args:
        org (str):
        id (str):
        body (MemberIn): A new member (name, email and role required) or an edit (absent fields
            unchanged). Example: {'email': 'ada@example.com', 'groups': ['ops'], 'name': 'Ada
            Lovelace', 'role': 'admin'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member | Problem
    """

    return sync_detailed(
        org=org,
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MemberIn,
) -> Response[Member | Problem]:
    """Update a member (also status)

    Args:
        org (str):
        id (str):
        body (MemberIn): A new member (name, email and role required) or an edit (absent fields
            unchanged). Example: {'email': 'ada@example.com', 'groups': ['ops'], 'name': 'Ada
            Lovelace', 'role': 'admin'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Member | Problem]
    """

    kwargs = _get_kwargs(
        org=org,
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: MemberIn,
) -> Member | Problem | None:
    """Update a member (also status)

    Args:
        org (str):
        id (str):
        body (MemberIn): A new member (name, email and role required) or an edit (absent fields
            unchanged). Example: {'email': 'ada@example.com', 'groups': ['ops'], 'name': 'Ada
            Lovelace', 'role': 'admin'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Member | Problem
    """

    return (
        await asyncio_detailed(
            org=org,
            id=id,
            client=client,
            body=body,
        )
    ).parsed
